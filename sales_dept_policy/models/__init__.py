from . import sales_approval_mixin
from . import res_partner
from . import sales_archive_access_request
from . import res_config_settings
