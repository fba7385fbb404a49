"""Home Assistant's MQTT formats that the config, the devices and the importer share.

- :mod:`hub.hass.entity`: an entity's discovery config (``devices[].entity`` in config.yaml),
  checked against devices/homeassistant.yaml.
- :mod:`hub.hass.template`: the subset of HA's value and command templates the hub renders.
"""
