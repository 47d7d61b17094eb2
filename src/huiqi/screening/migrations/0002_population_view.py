"""The population view over the registry (see :mod:`huiqi.screening.population`): the
same statement on SQLite and PostgreSQL; the latest year per enterprise and, per
qualification, the period with the latest start."""

from django.db import migrations

CREATE = """
    CREATE VIEW screening_population AS
    SELECT
      e.uscc,
      e.name,
      y.year,
      e.industry,
      e.district,
      e.founded,
      y.employees,
      y.revenue,
      y.total_assets,
      y.rd_expense,
      y.tax_paid,
      e.dishonest,
      e.founder_graduate,
      e.founder_veteran,
      e.founder_returnee,
      e.founder_unemployed,
      e.founder_disabled,
      e.listed_on,
      e.first_bond_on,
      q_zjtx.valid_from AS zjtx_from,
      q_zjtx.valid_to AS zjtx_to,
      q_zjtx.first_recognised AS zjtx_first,
      q_little_giant.valid_from AS little_giant_from,
      q_little_giant.valid_to AS little_giant_to,
      q_little_giant.first_recognised AS little_giant_first,
      q_innovative_sme.valid_from AS innovative_sme_from,
      q_innovative_sme.valid_to AS innovative_sme_to,
      q_innovative_sme.first_recognised AS innovative_sme_first,
      q_high_tech.valid_from AS high_tech_from,
      q_high_tech.valid_to AS high_tech_to,
      q_high_tech.first_recognised AS high_tech_first,
      q_tech_sme.valid_from AS tech_sme_from,
      q_tech_sme.valid_to AS tech_sme_to,
      q_tech_sme.first_recognised AS tech_sme_first,
      q_single_champion.valid_from AS single_champion_from,
      q_single_champion.valid_to AS single_champion_to,
      q_single_champion.first_recognised AS single_champion_first
    FROM enterprises_enterprise e
    LEFT JOIN enterprises_yearlyfacts y ON y.enterprise_id = e.id AND y.year = (SELECT MAX(y2.year) FROM enterprises_yearlyfacts y2 WHERE y2.enterprise_id = e.id)
    LEFT JOIN enterprises_qualification q_zjtx ON q_zjtx.enterprise_id = e.id AND q_zjtx.kind = 'zjtx' AND q_zjtx.valid_from = (SELECT MAX(p.valid_from) FROM enterprises_qualification p WHERE p.enterprise_id = e.id AND p.kind = 'zjtx')
    LEFT JOIN enterprises_qualification q_little_giant ON q_little_giant.enterprise_id = e.id AND q_little_giant.kind = 'little_giant' AND q_little_giant.valid_from = (SELECT MAX(p.valid_from) FROM enterprises_qualification p WHERE p.enterprise_id = e.id AND p.kind = 'little_giant')
    LEFT JOIN enterprises_qualification q_innovative_sme ON q_innovative_sme.enterprise_id = e.id AND q_innovative_sme.kind = 'innovative_sme' AND q_innovative_sme.valid_from = (SELECT MAX(p.valid_from) FROM enterprises_qualification p WHERE p.enterprise_id = e.id AND p.kind = 'innovative_sme')
    LEFT JOIN enterprises_qualification q_high_tech ON q_high_tech.enterprise_id = e.id AND q_high_tech.kind = 'high_tech' AND q_high_tech.valid_from = (SELECT MAX(p.valid_from) FROM enterprises_qualification p WHERE p.enterprise_id = e.id AND p.kind = 'high_tech')
    LEFT JOIN enterprises_qualification q_tech_sme ON q_tech_sme.enterprise_id = e.id AND q_tech_sme.kind = 'tech_sme' AND q_tech_sme.valid_from = (SELECT MAX(p.valid_from) FROM enterprises_qualification p WHERE p.enterprise_id = e.id AND p.kind = 'tech_sme')
    LEFT JOIN enterprises_qualification q_single_champion ON q_single_champion.enterprise_id = e.id AND q_single_champion.kind = 'single_champion' AND q_single_champion.valid_from = (SELECT MAX(p.valid_from) FROM enterprises_qualification p WHERE p.enterprise_id = e.id AND p.kind = 'single_champion')
"""

DROP = "DROP VIEW IF EXISTS screening_population"


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_initial"),
        ("screening", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
