-- Placeholder: this number belongs to another branch (merged separately). Drop when it lands.
SELECT 1;
