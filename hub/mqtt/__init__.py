"""mqtt stage: the broker connection and what the hub says about itself over MQTT.

broker.py: a private mosquitto for the demo and tests. link.py: MqttLink, the one paho-mqtt
connection (queue, expiry, reconnect, birth/will). discovery.py: Home Assistant discovery of
the hub itself. say.py: `hub say` handing its text to the running hub (``<base_topic>/say/set``).
"""
