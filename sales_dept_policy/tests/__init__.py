from . import test_archive_rules
from . import test_access_request
from . import test_approval
from . import test_settings
