"""What both benchmarks (bench.py, bench-m0.py) run before the workload, per configuration:
the monitors, made and entered.

Every configuration defines the same global names (only _mm), so that the workload's global
lookups hash the same way in all of them; the module is reached through __import__. The alarms
are set so high that they watch every allocation and never fire.
"""
_MONITORS = {
    "stock": "_mm = []\n",
    "idle": "_mm = []\n__import__('memorymonitor')\n",
    "1 size": "_mm = [__import__('memorymonitor').AllocationSize()]\n",
    "size+alarm": "_mm = [__import__('memorymonitor').AllocationSize(), "
    "__import__('memorymonitor').AllocationAlarm(minimum_block_count=1 << 30)]\n",
    "8 monitors": "_mm = [__import__('memorymonitor').AllocationSize() for _ in range(7)] + "
    "[__import__('memorymonitor').AllocationAlarm(minimum_block_count=1 << 30)]\n",
}
# Each configuration's monitors, entered.
PROLOGUES = {mode: text + "[_m.__enter__() for _m in _mm]\n" for mode, text in _MONITORS.items()}
