-- Accompany schema 11 (PostgreSQL): the custody day a feed row gives (CBP's EVENT_DT day, ORR's
-- ADMITTED_DATE), kept with the row's key, so record linkage can compare a child's custody date
-- with a pooled row's (docs/linkage.md, "Custody date"). ORR's admission date is stored nowhere
-- else. A date alone names no one; like the rest of import_row_keys it is bookkeeping.
ALTER TABLE import_row_keys ADD COLUMN custody_day TEXT;
