-- What `parley query` shows when given no SQL: the latest events, newest first.
SELECT date, event_type, actor, counterpart, negated, modality, trigger, source
FROM events
ORDER BY published_at DESC, sentence_index
LIMIT 20;
