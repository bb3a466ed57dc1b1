from . import attainment_xlsx, finance_xlsx, trip_xlsx
