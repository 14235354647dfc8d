"""The review policy: a pull request's state in, the bot's actions out.

``decide`` computes the desired outcome (a Plan); ``plan_actions`` diffs it
against the current state. Pure: imports nothing from PyGithub, reads no clock.
"""

from bot.policy.actions import plan_actions
from bot.policy.decide import DataChangeReport, Plan, decide

__all__ = ["DataChangeReport", "Plan", "decide", "plan_actions"]
