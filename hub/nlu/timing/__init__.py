"""Time in what is said: timer sentences ("set a 5 minute pasta timer") and the time phrase of a
command ("turn off the lights in ten minutes"), from intents/<language>/timers.yaml.

- :mod:`hub.nlu.timing.data`: intents/<language>/timers.yaml (sentences, duration and clock words, replies).
- :mod:`hub.nlu.timing.when`: durations and clock times read from words ("one and a half hours", "7 am").
- :mod:`hub.nlu.timing.sentences`: timer sentences matched with hassil.
- :mod:`hub.nlu.timing.understand`: what the parser asks of time (:class:`Timing`).

Acting on them (the timers, the schedule, the state file) is :mod:`hub.timers`'.
"""
