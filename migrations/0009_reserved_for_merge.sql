-- 0009: RESERVED in branch h/lang only, so that 0010 applies in order before the branches
-- holding 0009 land. DROP THIS FILE WHEN MERGING (the loader refuses two files numbered 0009).
SELECT 1;
