"""Headless simulation: the World, commands, events, crowd, roads, incidents, objectives.

Never imports arcade or pyglet. Entry point: ``command_game.sim.world.World``; the rules
and every number a level designer tunes against are documented in ``docs/simulation.md``
and live in ``command_game.sim.rules``.
"""
