-- migration 2: index intents by owner and end time

CREATE INDEX intents_owner_end ON intents (owner, t_end)
;
