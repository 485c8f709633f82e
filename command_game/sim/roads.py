"""The road network: a networkx graph weighted by travel time, slowed by crowds on a road
and all but closed where an incident or a packed crowd blocks it. Routes are planned and
driven with the same cost (``cost``): a unit takes as long on a road as its plan said."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from command_game.level.models import Level
from command_game.sim import rules


class RoadNetwork:
    """Routes between road nodes by shortest travel time under current conditions."""

    def __init__(self, level: Level, cell: float, rows: int, cols: int) -> None:
        self.nodes = {n.id: (n.x, n.y) for n in level.roads.nodes}
        self.graph = nx.Graph()
        self.graph.add_nodes_from(self.nodes)
        self.edge_ids: dict[str, tuple[str, str]] = {}
        self.blocked: dict[str, int] = {}  # edge id -> number of incidents blocking it
        self._edge_cells: dict[str, np.ndarray] = {}
        for e in level.roads.edges:
            if e.a not in self.nodes or e.b not in self.nodes or e.a == e.b:
                continue
            (ax, ay), (bx, by) = self.nodes[e.a], self.nodes[e.b]
            length = math.hypot(bx - ax, by - ay)
            base = length / (e.speed_kmh / 3.6)
            self.graph.add_edge(e.a, e.b, id=e.id, length=length, speed=e.speed_kmh / 3.6,
                                base=base, time=base, open_time=base, density=0.0)
            self.edge_ids[e.id] = (e.a, e.b)
            self._edge_cells[e.id] = _cells_along(ax, ay, bx, by, cell, rows, cols)
        self._node_ids = list(self.nodes)
        self._node_xy = np.array([self.nodes[n] for n in self._node_ids]).reshape(-1, 2)

    def nearest_node(self, x: float, y: float) -> str:
        d2 = ((self._node_xy - (x, y)) ** 2).sum(axis=1)
        return self._node_ids[int(np.argmin(d2))]

    def update_density(self, counts: np.ndarray, cell: float) -> list[str]:
        """Re-weight every edge by the crowd on it; returns edges that became congested."""
        area = cell * cell
        newly = []
        for eid, (a, b) in self.edge_ids.items():
            cells = self._edge_cells[eid]
            density = float(counts[cells].max()) / area if len(cells) else 0.0
            data = self.graph.edges[a, b]
            if density >= rules.CONGESTED_DENSITY > data["density"]:
                newly.append(eid)
            data["density"] = density
            self._reweight(eid)
        return newly

    def _reweight(self, eid: str) -> None:
        data = self.graph.edges[self.edge_ids[eid]]
        data["open_time"] = data["base"] * (1.0 + rules.DENSITY_SLOWDOWN * data["density"])
        data["time"] = data["open_time"] * (rules.BLOCKED_PENALTY if self._closed(eid) else 1.0)

    def _closed(self, eid: str) -> bool:
        """Blocked by an incident, or by a crowd packed across it."""
        data = self.graph.edges[self.edge_ids[eid]]
        return self.blocked.get(eid, 0) > 0 or data["density"] >= rules.ROAD_BLOCK_DENSITY

    def density(self, a: str, b: str) -> float:
        return self.graph.edges[a, b]["density"]

    def block(self, eid: str) -> None:
        if eid in self.edge_ids:
            self.blocked[eid] = self.blocked.get(eid, 0) + 1
            self._reweight(eid)

    def unblock(self, eid: str) -> None:
        if self.blocked.get(eid, 0) > 0:
            self.blocked[eid] -= 1
            self._reweight(eid)

    def is_bad(self, a: str, b: str) -> bool:
        """Blocked or congested: a unit on a route through it should look for another."""
        data = self.graph.edges[a, b]
        return self._closed(data["id"]) or data["density"] >= rules.CONGESTED_DENSITY

    @staticmethod
    def cost(a: str, b: str, data: dict, goal: str | None) -> float:
        """Seconds to drive the edge toward ``goal``: a closed road is all but closed,
        except the last stretch into the goal itself (police heading for that very
        incident push through at the crowd's pace, not the closure's)."""
        return data["open_time"] if goal is not None and goal in (a, b) else data["time"]

    def edge_speed(self, a: str, b: str, goal: str | None = None) -> float:
        """Metres per second a vehicle drives the edge now, at the cost its route was
        planned with."""
        data = self.graph.edges[a, b]
        t = self.cost(a, b, data, goal)
        return data["length"] / t if t > 0 else data["speed"]

    def path(self, start: str, goal: str) -> list[str] | None:
        """Fastest node path under ``cost``."""

        def time(a: str, b: str, data: dict) -> float:
            return self.cost(a, b, data, goal)

        try:
            return nx.shortest_path(self.graph, start, goal, weight=time)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None

    def edges_at(self, node: str) -> list[str]:
        """Ids of the roads touching a node, in a stable order."""
        return sorted(self.graph.edges[node, nb]["id"] for nb in self.graph.neighbors(node))


def _cells_along(ax, ay, bx, by, cell, rows, cols) -> np.ndarray:
    n = max(2, int(math.hypot(bx - ax, by - ay) / cell) + 1)
    t = np.linspace(0.0, 1.0, n)
    xs, ys = ax + (bx - ax) * t, ay + (by - ay) * t
    c = np.clip((xs / cell).astype(np.int64), 0, cols - 1)
    r = np.clip((ys / cell).astype(np.int64), 0, rows - 1)
    return np.unique(r * cols + c)
