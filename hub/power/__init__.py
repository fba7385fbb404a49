"""Low-power mode: power supply and CPU load readings, the model-set scheduler, the CPU
frequency policy."""
