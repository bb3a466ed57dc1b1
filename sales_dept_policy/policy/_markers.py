"""Markers shared by the rules, free of Odoo."""


def _lt(text):
    """Mark ``text`` as a sentence the addon translates when it shows it.

    The rules return codes; the models look the English sentence up here and
    translate it in the reader's language (``env._``). The name is the one
    Odoo's translation export looks for, so the sentences land in the .pot.
    """
    return text
