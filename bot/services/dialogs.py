"""The dialog engine: multi-step dialogs whose state lives in the database.

A flow is an ordered list of steps. Each answer is parsed by the current step, stored, and the
dialog moves on, all inside the caller's transaction, so a crash at any instant leaves the user at
the step the database says, with every answer they were told was saved. See README, "Writing a flow".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.dialog import BACK, CANCEL, MAX_ANSWER_LENGTH, Answer, Button, Outgoing, Prompt, Reject
from bot.i18n import N_
from bot.services.turn import Turn
from bot.storage.models import DialogState
from bot.storage.repositories.dialogs import DialogRepository

# A step sees the update's Turn; its `data` holds the dialog's answers while the step runs.
StepContext = Turn


class Step:
    """One question. Subclasses set `name` and override `prompt` and `parse`; `store` keeps the value."""

    name: str = ""

    def prompt(self, ctx: StepContext) -> Prompt:
        raise NotImplementedError

    def parse(self, answer: Answer, ctx: StepContext) -> Any:
        """The value of a valid answer, or raise Reject with a message that says what would fit."""
        raise NotImplementedError

    async def store(self, value: Any, ctx: StepContext) -> str | None:
        """Keep the value (by default among the dialog's answers); may return a line confirming it."""
        ctx.data[self.name] = value
        return None


FINISH = None
Router = Callable[[str, Any, StepContext], str | None]
Finisher = Callable[[StepContext], Awaitable[Sequence[Outgoing]]]


@dataclass(frozen=True)
class Flow:
    """A named dialog: its steps in order, how to move between them, and what happens at the end."""

    name: str
    steps: Sequence[Step]
    finish: Finisher
    route: Router | None = None
    cancelled_message: str = N_("Stopped. Nothing else was changed.")

    def step(self, name: str) -> Step | None:
        return next((step for step in self.steps if step.name == name), None)

    def next_step(self, current: str, value: Any, ctx: StepContext) -> str | None:
        if self.route is not None:
            return self.route(current, value, ctx)
        names = [step.name for step in self.steps]
        index = names.index(current)
        return names[index + 1] if index + 1 < len(names) else FINISH


class DialogEngine:
    """Starts dialogs and feeds them answers; the caller owns the transaction and commits it."""

    def __init__(self, flows: Sequence[Flow]) -> None:
        self.flows: Mapping[str, Flow] = {flow.name: flow for flow in flows}

    async def start(
        self,
        turn: Turn,
        flow_name: str,
        *,
        first_step: str | None = None,
        data: dict[str, Any] | None = None,
        preface: Sequence[Outgoing] = (),
    ) -> list[Outgoing]:
        """Begin `flow_name` (replacing any dialog in progress) and return its first question."""
        flow = self.flows[flow_name]
        step_name = first_step or flow.steps[0].name
        repository = DialogRepository(turn.session)
        previous = await repository.get_for_update(turn.user.id)
        version = previous.version + 1 if previous else 1
        state = DialogState(
            user_id=turn.user.id,
            flow=flow_name,
            step=step_name,
            data=dict(data or {}),
            history=[],
            version=version,
            updated_at=turn.now,
        )
        await repository.put(state)
        turn.data = state.data
        return [*preface, self._ask(flow, step_name, turn, version, can_go_back=False)]

    async def current_question(self, turn: Turn) -> list[Outgoing]:
        """The open question again (e.g. after a restart), or nothing when no dialog is open."""
        state = await DialogRepository(turn.session).get_for_update(turn.user.id)
        flow = self.flows.get(state.flow) if state else None
        if state is None or flow is None:
            return []
        turn.data = dict(state.data)
        return [self._ask(flow, state.step, turn, state.version, can_go_back=bool(state.history))]

    async def cancel(self, turn: Turn) -> list[Outgoing] | None:
        """Leave the open dialog; None when there was none."""
        repository = DialogRepository(turn.session)
        state = await repository.get_for_update(turn.user.id)
        if state is None:
            return None
        await repository.remove(turn.user.id)
        turn.data = {}
        flow = self.flows.get(state.flow)
        return [Outgoing(turn._(flow.cancelled_message if flow else Flow.cancelled_message))]

    async def answer(self, turn: Turn, answer: Answer) -> list[Outgoing] | None:
        """Feed one answer to the open dialog; None when no dialog is open."""
        repository = DialogRepository(turn.session)
        state = await repository.get_for_update(turn.user.id)
        if state is None:
            return None
        flow = self.flows.get(state.flow)
        step = flow.step(state.step) if flow else None
        if flow is None or step is None:
            # A flow or step renamed by a newer release: drop the orphaned state rather than trap the user.
            await repository.remove(turn.user.id)
            return None
        turn.data = dict(state.data)
        ctx = turn
        _ = ctx._
        can_go_back = bool(state.history)

        def again(message: str) -> list[Outgoing]:
            return [Outgoing(message), self._ask(flow, state.step, ctx, state.version, can_go_back)]

        if answer.dialog_version is not None and answer.dialog_version != state.version:
            return again(
                _("That button belongs to an earlier question, so I ignored it. Here is the current one:")
            )
        if answer.choice == CANCEL:
            await repository.remove(turn.user.id)
            return [Outgoing(_(flow.cancelled_message))]
        if answer.choice == BACK:
            if not state.history:
                return again(_("This is the first question; there is nothing to go back to."))
            previous = state.history[-1]
            state.history = state.history[:-1]
            return await self._move_to(state, previous, flow, ctx)
        if answer.is_empty:
            return again(
                _("I can only read text or button presses here. Please type your answer or tap a button.")
            )
        if answer.choice is None and len(answer.text or "") > MAX_ANSWER_LENGTH:
            return again(
                _("That is too long for this question ({limit} characters at most).", limit=MAX_ANSWER_LENGTH)
            )
        try:
            value = step.parse(answer, ctx)
        except Reject as rejection:
            return again(rejection.message)
        confirmation = await step.store(value, ctx)
        next_name = flow.next_step(step.name, value, ctx)
        preface = [Outgoing(confirmation)] if confirmation else []
        if next_name is FINISH:
            await repository.remove(turn.user.id)
            return [*preface, *await flow.finish(ctx)]
        state.history = [*state.history, step.name]
        return [*preface, *await self._move_to(state, next_name, flow, ctx)]

    async def _move_to(
        self, state: DialogState, step_name: str, flow: Flow, ctx: StepContext
    ) -> list[Outgoing]:
        state.step = step_name
        state.data = dict(ctx.data)
        state.version += 1
        state.updated_at = ctx.now
        await ctx.session.flush()
        return [self._ask(flow, step_name, ctx, state.version, can_go_back=bool(state.history))]

    @staticmethod
    def _ask(flow: Flow, step_name: str, ctx: StepContext, version: int, can_go_back: bool) -> Outgoing:
        step = flow.step(step_name)
        if step is None:
            raise LookupError(f"flow {flow.name} has no step {step_name}")
        prompt = step.prompt(ctx)
        _ = ctx._
        navigation = [Button(_("⬅ Back"), BACK)] if can_go_back else []
        navigation.append(Button(_("✖ Cancel"), CANCEL))
        return Outgoing(prompt.text, (*prompt.buttons, tuple(navigation)), dialog_version=version)
