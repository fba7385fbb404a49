"""`hub serve`: the long-running hub (one model set, the MQTT session, the microphone when asked)
with its local HTTP API and status page. ``hub.serve.hub`` runs it, ``hub.serve.api`` is the API,
``hub.serve.page`` the page, ``hub.settings.http`` the ``http:`` section of config.yaml."""
