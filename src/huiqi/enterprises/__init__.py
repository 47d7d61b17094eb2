"""The enterprise registry: enterprises, their yearly facts and qualifications, imported from
CSV and Excel files (:func:`huiqi.enterprises.services.import_registry`).

Field names are the names of the fact catalogue (:func:`huiqi.rules.facts.catalogue`), so the
registry, the criteria and the population screens speak of the same facts."""
