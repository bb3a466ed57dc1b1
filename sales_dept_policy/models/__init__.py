from . import res_config_settings, res_partner, sales_approval_mixin, sales_archive_access_request
