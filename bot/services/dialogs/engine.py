"""The dialog engine: multi-step dialogs whose state lives in the database.

Each answer is parsed by the current step, stored among the flow's answers, and the dialog moves on to
the step it names, all inside the caller's transaction, so a crash at any instant leaves the user at the
step the database says, with every answer they were told was saved. See README, "Writing a flow".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from bot.core.dialog import BACK, CANCEL, MAX_ANSWER_LENGTH, Answer, Button, Outgoing, Reject
from bot.services.dialogs.flow import FINISH, Flow
from bot.services.turn import Turn
from bot.storage.models import DialogState
from bot.storage.repositories.dialogs import DialogRepository


class DialogEngine:
    """Starts dialogs and feeds them answers; the caller owns the transaction and commits it."""

    def __init__(self, flows: Sequence[Flow[Any]]) -> None:
        self.flows: Mapping[str, Flow[Any]] = {flow.name: flow for flow in flows}

    async def start(
        self,
        turn: Turn,
        flow_name: str,
        *,
        answers: object | None = None,
        first_step: str | None = None,
        preface: Sequence[Outgoing] = (),
    ) -> list[Outgoing]:
        """Begin `flow_name` (replacing any dialog in progress) and return its first question.

        `answers` (an instance of the flow's answers class) are what the flow knows from the start;
        by default the class's own defaults.
        """
        flow = self.flows[flow_name]
        step_name = first_step or flow.steps[0].name
        known = answers if answers is not None else flow.answers()
        repository = DialogRepository(turn.session)
        previous = await repository.get_for_update(turn.user.id)
        version = previous.version + 1 if previous else 1
        state = DialogState(
            user_id=turn.user.id,
            flow=flow_name,
            step=step_name,
            data=flow.dump(known),
            history=[],
            version=version,
            updated_at=turn.now,
        )
        await repository.put(state)
        return [*preface, self._ask(flow, step_name, turn, known, version, can_go_back=False)]

    async def current_question(self, turn: Turn) -> list[Outgoing]:
        """The open question again (e.g. after a restart), or nothing when no dialog is open."""
        state = await DialogRepository(turn.session).get_for_update(turn.user.id)
        flow = self.flows.get(state.flow) if state else None
        if state is None or flow is None:
            return []
        answers = flow.load(state.data)
        return [self._ask(flow, state.step, turn, answers, state.version, can_go_back=bool(state.history))]

    async def cancel(self, turn: Turn) -> list[Outgoing] | None:
        """Leave the open dialog; None when there was none."""
        repository = DialogRepository(turn.session)
        state = await repository.get_for_update(turn.user.id)
        if state is None:
            return None
        await repository.remove(turn.user.id)
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
        answers = _loaded(flow, state.data) if flow else None
        if flow is None or step is None or answers is None:
            # A flow, step or answer renamed by a newer release: drop the orphaned state rather than trap the user.
            await repository.remove(turn.user.id)
            return None
        _ = turn._
        can_go_back = bool(state.history)

        def again(message: str, offer: tuple[Button, ...] = ()) -> list[Outgoing]:
            question = self._ask(flow, state.step, turn, answers, state.version, can_go_back)
            if offer:
                question = replace(question, buttons=(offer, *question.buttons))
            return [Outgoing(message), question]

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
            return await self._move_to(state, previous, flow, turn, answers)
        if answer.is_empty:
            return again(
                _("I can only read text or button presses here. Please type your answer or tap a button.")
            )
        if answer.choice is None and len(answer.text or "") > MAX_ANSWER_LENGTH:
            return again(
                _("That is too long for this question ({limit} characters at most).", limit=MAX_ANSWER_LENGTH)
            )
        try:
            value = step.parse(answer, turn, answers)
        except Reject as rejection:
            return again(rejection.message, rejection.offer)
        confirmation = await step.save(value, turn, answers)
        next_name = flow.after(step, value, turn, answers)
        preface = [Outgoing(confirmation)] if confirmation else []
        if next_name == FINISH:
            await repository.remove(turn.user.id)
            return [*preface, *await flow.finish(turn, answers)]
        state.history = [*state.history, step.name]
        return [*preface, *await self._move_to(state, next_name, flow, turn, answers)]

    async def _move_to(
        self, state: DialogState, step_name: str, flow: Flow[Any], turn: Turn, answers: object
    ) -> list[Outgoing]:
        state.step = step_name
        state.data = flow.dump(answers)
        state.version += 1
        state.updated_at = turn.now
        await turn.session.flush()
        return [self._ask(flow, step_name, turn, answers, state.version, can_go_back=bool(state.history))]

    @staticmethod
    def _ask(
        flow: Flow[Any], step_name: str, turn: Turn, answers: object, version: int, can_go_back: bool
    ) -> Outgoing:
        step = flow.step(step_name)
        if step is None:
            raise LookupError(f"flow {flow.name} has no step {step_name}")
        prompt = step.prompt(turn, answers)
        _ = turn._
        navigation = [Button(_("⬅ Back"), BACK)] if can_go_back else []
        navigation.append(Button(_("✖ Cancel"), CANCEL))
        return Outgoing(prompt.text, (*prompt.buttons, tuple(navigation)), dialog_version=version)


def _loaded(flow: Flow[Any], data: Mapping[str, Any]) -> object | None:
    """The stored answers, or None when they no longer fit the flow's answers class."""
    try:
        answers: object = flow.load(data)
    except ValidationError:
        return None
    return answers
