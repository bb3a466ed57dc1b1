// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { stepUtils } from "@web_tour/tour_utils";

/** Steps that open the Sales Policy app from the home menu and wait for its first view. */
export function openPolicyApp() {
    return [
        ...stepUtils.goToAppSteps("sales_dept_policy.sales_policy_menu_root", "Open Sales Policy"),
        {
            content: "The app is open",
            trigger: '.o_menu_brand[data-menu-xmlid="sales_dept_policy.sales_policy_menu_root"]',
        },
        {
            content: "Its first view is shown",
            trigger: ".o_action_manager > .o_view_controller",
        },
    ];
}

/**
 * A step that opens a menu of the current app: ``section`` is the top menu,
 * ``item`` the entry in its dropdown (xml ids). The navbar moves the sections
 * that do not fit into its "More" dropdown: the section is opened from wherever
 * it is shown, and opened again if an action that was still loading closed it.
 */
export function openMenu(section, item) {
    const entry = `.dropdown-item[data-menu-xmlid="${item}"]`;
    return {
        content: `Open ${item} from ${section}`,
        trigger: ".o_main_navbar .o_menu_sections",
        async run({ queryFirst, click, waitFor }) {
            for (let attempt = 0; attempt < 5; attempt++) {
                const button =
                    queryFirst(`.o_menu_sections button[data-menu-xmlid="${section}"]:visible`) ||
                    queryFirst(".o_menu_sections_more button:visible");
                await click(button);
                try {
                    await click(await waitFor(entry, { timeout: 2000 }));
                    return;
                } catch {
                    // closed before it could be clicked: open it again
                }
            }
            throw new Error(`menu ${item} not found under ${section}`);
        },
    };
}

/** Open the Sales Policy app, then one of its menus (see openMenu). */
export function openPolicyMenu(section, item) {
    return [...openPolicyApp(), openMenu(section, item)];
}

/** Pick ``label`` in the many2one field ``name`` by typing ``text``. */
export function pickMany2one(name, text, label) {
    return [
        {
            content: `Type ${text} in ${name}`,
            trigger: `.o_form_view .o_field_widget[name=${name}] input`,
            run: `edit ${text}`,
        },
        {
            content: `Pick ${label}`,
            trigger: `.o_field_widget[name=${name}] .o-autocomplete--dropdown-item a:contains(${label})`,
            run: "click",
        },
        {
            content: `${label} is set in ${name}`,
            trigger: `.o_field_widget[name=${name}] input:value(${label})`,
        },
    ];
}

/** Click the header button of method ``name`` and wait for the status ``state``. */
export function clickHeaderButton(name, state) {
    return [
        {
            content: `Click ${name}`,
            trigger: `.o_form_view .o_statusbar_buttons button[name=${name}]:enabled`,
            run: "click",
        },
        {
            content: `The record is now ${state}`,
            trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current[data-value=${state}]`,
        },
    ];
}
