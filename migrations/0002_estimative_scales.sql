-- The three published estimative scales of ../shared/reference/estimative-probability.md.
-- A term's probability is the middle of its published range, or the author's own central value
-- where the table gives one (Kent). An analyst can see these on /scales and override any number.

INSERT INTO estimative_scales (id, slug, name, citation, position) VALUES
 (1, 'icd-203', 'ICD 203 (US Intelligence Community)',
  'US Office of the Director of National Intelligence, Intelligence Community Directive 203, Analytic Standards (2015 edition)', 1),
 (2, 'kent', 'Sherman Kent (1964)',
  'Sherman Kent, "Words of Estimative Probability", Studies in Intelligence 8 (4), 1964', 2),
 (3, 'uk-yardstick', 'UK probability yardstick',
  'UK Professional Head of Intelligence Assessment, "probability yardstick"', 3);

INSERT INTO estimative_terms (scale_id, term, probability, low, high, position) VALUES
 (1, 'almost no chance',    0.03,  0.01, 0.05, 1),
 (1, 'remote',              0.03,  0.01, 0.05, 2),
 (1, 'very unlikely',       0.125, 0.05, 0.20, 3),
 (1, 'highly improbable',   0.125, 0.05, 0.20, 4),
 (1, 'unlikely',            0.325, 0.20, 0.45, 5),
 (1, 'improbable',          0.325, 0.20, 0.45, 6),
 (1, 'roughly even chance', 0.50,  0.45, 0.55, 7),
 (1, 'roughly even odds',   0.50,  0.45, 0.55, 8),
 (1, 'likely',              0.675, 0.55, 0.80, 9),
 (1, 'probable',            0.675, 0.55, 0.80, 10),
 (1, 'very likely',         0.875, 0.80, 0.95, 11),
 (1, 'highly probable',     0.875, 0.80, 0.95, 12),
 (1, 'almost certain',      0.97,  0.95, 0.99, 13),
 (1, 'nearly certain',      0.97,  0.95, 0.99, 14),

 (2, 'certain',              1.00, 1.00, 1.00, 1),
 (2, 'almost certain',       0.93, 0.87, 0.99, 2),
 (2, 'probable',             0.75, 0.63, 0.87, 3),
 (2, 'chances about even',   0.50, 0.40, 0.60, 4),
 (2, 'probably not',         0.30, 0.20, 0.40, 5),
 (2, 'almost certainly not', 0.07, 0.02, 0.12, 6),
 (2, 'impossible',           0.00, 0.00, 0.00, 7),

 (3, 'remote chance',          0.025, 0.00, 0.05, 1),
 (3, 'highly unlikely',        0.15,  0.10, 0.20, 2),
 (3, 'unlikely',               0.30,  0.25, 0.35, 3),
 (3, 'realistic possibility',  0.45,  0.40, 0.50, 4),
 (3, 'likely',                 0.65,  0.55, 0.75, 5),
 (3, 'probable',               0.65,  0.55, 0.75, 6),
 (3, 'highly likely',          0.85,  0.80, 0.90, 7),
 (3, 'almost certain',         0.975, 0.95, 1.00, 8);
