from . import activity_xlsx, attainment_xlsx, finance_xlsx, trip_xlsx
