-- Fill the list's `ressort` filter column from each initiative's resource (null: no lead Ressort).
UPDATE "initiatives" SET "lead_ressort" = "resource" -> 'leadRessort' ->> 'key' WHERE "lead_ressort" IS NULL;
