"""A freedesktop notification server for montui's tests (python3-dbus-next) on the bus at
ADDRESS: each Notify call is appended to OUT as a JSON line. Prints `ready` once it owns
org.freedesktop.Notifications.

usage: notifications.py ADDRESS OUT
"""
import asyncio
import json
import sys

from dbus_next.aio import MessageBus
from dbus_next.service import ServiceInterface, method

address, out = sys.argv[1:3]


class Notifications(ServiceInterface):
    def __init__(self):
        super().__init__("org.freedesktop.Notifications")

    @method()
    def Notify(self, app: "s", replaces: "u", icon: "s", summary: "s", body: "s",
               actions: "as", hints: "a{sv}", timeout: "i") -> "u":
        urgency = hints.get("urgency")
        with open(out, "a") as f:
            f.write(json.dumps({"app": app, "summary": summary, "body": body,
                                "urgency": urgency.value if urgency else None}) + "\n")
        return 1

    @method()
    def GetCapabilities(self) -> "as":
        return ["body"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["montui-test", "montui", "1", "1.2"]


async def main():
    bus = await MessageBus(bus_address=address).connect()
    bus.export("/org/freedesktop/Notifications", Notifications())
    await bus.request_name("org.freedesktop.Notifications")
    print("ready", flush=True)
    await asyncio.Future()


asyncio.run(main())
