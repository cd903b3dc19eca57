-- The topics (Themenfelder) as data, keys as in workflows/domain.ts and docs/domain.md#topics. The names
-- are those the dashboard shows; provisional until the founding agreement's wording is linked as source.
INSERT INTO "topics" ("key", "name_de", "name_en", "source", "provisional") VALUES
  ('ai_supercomputing', 'Künstliche Intelligenz und Supercomputing', 'Artificial intelligence and supercomputing', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true),
  ('infrastructure_economy', 'Digitale Infrastruktur und Wirtschaft', 'Digital infrastructure and economy', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true),
  ('egovernment', 'eGovernment', 'eGovernment', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true),
  ('digital_work', 'Digitale Arbeitswelt und digitale Arbeitsmodelle', 'Digital work and working models', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true),
  ('education', 'Bildung', 'Education', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true),
  ('ehealth', 'eHealth', 'eHealth', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true),
  ('cybersecurity', 'Cybersicherheit', 'Cybersecurity', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true),
  ('mobility', 'Mobilität', 'Mobility', 'docs/domain.md#topics (Themenfelder of the Digital Dialog of BY and NW)', true)
ON CONFLICT ("key") DO NOTHING;
