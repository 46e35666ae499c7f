-- 0008: RESERVED in branch h/lang only, so that 0010 applies in order before the branches
-- holding 0008 land. DROP THIS FILE WHEN MERGING (the loader refuses two files numbered 0008).
SELECT 1;
