from . import (
    test_access_request,
    test_approval,
    test_archive_rules,
    test_credit,
    test_exports,
    test_forgery,
    test_multi_company,
    test_settings,
    test_targets,
    test_territory,
    test_travel,
    test_visits,
)
