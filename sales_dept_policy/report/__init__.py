from . import finance_xlsx
