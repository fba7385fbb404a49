"""Timers and commands in time: "set a 5 minute pasta timer", "turn off the lights in ten minutes".

- :mod:`hub.clock`: the clock (monotonic seconds for countdowns, local wall time for "at 7").
- :mod:`hub.timers.service`: named timers (start, remaining, pause, resume, add, cancel, list).
- :mod:`hub.timers.schedule`: commands waiting for their time (delayed, at a clock time, undo after).
- :mod:`hub.timers.agenda`: the timers and the schedule together, ticked by one thread; what fires
  is announced and published on MQTT (``<base_topic>/timer``, ``<base_topic>/schedule``), the
  running timers retained on ``<base_topic>/timers`` (Home Assistant's "Active timers" sensor).
- :mod:`hub.timers.store`: the state file that carries them across a restart (written atomically).
- :mod:`hub.timers.executor`: runs timer intents and commands in time beside the device executor.

What a timer sentence or a time phrase means is understanding: :mod:`hub.nlu.timing` reads it.

Timers and scheduled commands survive a restart only with a state file (``hub.options.timers_file``);
without one they live in memory only.
"""
