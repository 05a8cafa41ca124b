"""Inventory helpers for a small shop: stock records, restocking and reports."""

import functools
import json
from dataclasses import dataclass, field


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        print(f"{func.__name__} -> {result!r}")
        return result
    return wrapper


@dataclass
class Item:
    """A product on the shelf."""

    sku: str
    name: str
    price: float
    quantity: int = 0
    tags: list = field(default_factory=list)

    def total_value(self):
        return self.price * self.quantity


class Inventory:
    def __init__(self, items=None):
        self._items = {item.sku: item for item in items or []}

    def add(self, item):
        """Add an item, or increase the quantity if the SKU exists."""
        if item.sku in self._items:
            self._items[item.sku].quantity += item.quantity
        else:
            self._items[item.sku] = item

    @logged
    def remove(self, sku, quantity=1):
        item = self._items.get(sku)
        if item is None:
            raise KeyError(f"unknown SKU {sku}")
        if quantity > item.quantity:
            raise ValueError(f"only {item.quantity} of {sku} left")
        item.quantity -= quantity
        return item.quantity

    def restock_plan(self, minimum, batch=10):
        def shortfall(item):
            def rounded(n):
                return -(-n // batch) * batch
            missing = minimum - item.quantity
            return rounded(missing) if missing > 0 else 0

        plan = {}
        for sku, item in sorted(self._items.items()):
            need = shortfall(item)
            if need:
                plan[sku] = need
        return plan

    def report(self, path=None):
        rows = [
            {"sku": i.sku, "name": i.name, "value": round(i.total_value(), 2)}
            for i in sorted(self._items.values(), key=lambda i: i.sku)
        ]
        text = json.dumps(rows, indent=2)
        if path:
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
        return text


def load_inventory(path):
    with open(path, encoding="utf-8") as f:
        return Inventory(Item(**row) for row in json.load(f))
