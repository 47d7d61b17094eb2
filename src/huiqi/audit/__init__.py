"""The audit log: who changed what, when, with the values before and after.

Services write the entries in the transaction of the change they record, so a change and its
entry are committed, or rolled back, together."""
