"""/export and /delete ("letting go"): a person takes their data, or erases themselves.

Through the real application offline (testing.offline): the handlers, the domain and the
database on either engine."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import privacy
from testing.clock import StoppedClock
from testing.engines import on_postgres
from testing.offline import Offline, User
from testing.probes import holding

# Ids no timestamp or round id could contain by chance, so "no row holds this id" means it.
ANA = User(7_315_004_211, "Ana")
BEN = User(6_208_113_957, "Ben")
ANA_WORDS = "zebra-lantern honesty"
ANA_SECRET = "quokka-violin unmatched"


async def answer_round(bot: Offline, answers: dict[User, str]) -> None:
    """A check-in now, delivered, and these answers to it (a reveal if both answer)."""
    first = next(iter(answers))
    await bot.send(first, "/checkin")
    await bot.deliver()
    for user, text in answers.items():
        await bot.send(user, text)
    await bot.deliver()


def document(bot: Offline, user: User) -> dict[str, Any]:
    [sent] = bot.sent(user.id, "sendDocument")
    [(name, content)] = sent.params["files"].items()
    assert name == "steady-export.json"
    return json.loads(content)


async def test_export_holds_my_answers_and_revealed_rounds_never_an_unmatched_one(
    tmp_path: Path,
) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await answer_round(bot, {ANA: "my revealed words", BEN: "his revealed words"})
        await bot.send(BEN, "/checkin")
        await bot.deliver()
        await bot.send(BEN, "his unmatched words")
        calls = await bot.send(ANA, "/export")
        assert [c.method for c in calls] == ["sendDocument", "sendMessage"]
        data = document(bot, ANA)
        assert data["profile"]["first_name"] == "Ana"
        assert [p["partner"] for p in data["pairings"]] == ["Ben"]
        assert [a["text"] for a in data["my_answers"]] == ["my revealed words"]
        [shown] = data["revealed_to_me"]
        assert (shown["mine"], shown["partner"]) == ("my revealed words", "his revealed words")
        assert shown["question"]  # the question, in Ana's language
        assert "his unmatched words" not in json.dumps(data)
        summary = calls[1].text
        assert "1 answer," in summary and "1 check-in" in summary and "1 pairing" in summary
        # Ben's own export holds his unmatched answer: it is his.
        await bot.send(BEN, "/export")
        assert "his unmatched words" in json.dumps(document(bot, BEN))


async def test_export_of_someone_unknown_says_so_kindly(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        [said] = await bot.send(User(42, "Stranger"), "/export")
        assert said.method == "sendMessage" and "nothing" in said.text


def test_a_large_export_is_zipped() -> None:
    data = privacy.Export({"my_answers": [{"text": "x" * 500}]}, 1, 0, 0)
    name, content = privacy.export_file(data, zip_over=100)
    assert name == "steady-export.zip"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert json.loads(archive.read("steady-export.json")) == data.document
    assert privacy.export_file(data)[0] == "steady-export.json"


async def delete_buttons(bot: Offline, user: User) -> dict[str, str]:
    [question] = await bot.send(user, "/delete")
    assert "cannot be erased" in question.plain and "backups" in question.plain
    assert "emergency" in question.plain  # the crisis line
    return {label: data for row in question.buttons for label, data in row}


async def test_keep_changes_nothing(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await answer_round(bot, {ANA: ANA_WORDS, BEN: "his words"})
        buttons = await delete_buttons(bot, ANA)
        before = await bot.dump()
        await bot.run(bot.updates.button(ANA, buttons["Keep my data"]))
        assert await bot.dump() == before
        assert "Nothing was erased" in bot.sent(ANA.id)[-1].text


async def test_erasing_leaves_no_row_of_mine_and_the_partner_keeps_his_words(
    tmp_path: Path,
) -> None:
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.send(ANA, "/join WRONGCODE1")  # a failed attempt is kept for a while
        await bot.pair(ANA, BEN)
        await answer_round(bot, {ANA: ANA_WORDS, BEN: "his revealed words"})
        await bot.run(bot.updates.button(ANA, "v1:cf:20m"))  # a break she started
        clock.advance(timedelta(minutes=21))
        await bot.send(ANA, "/checkin")
        await bot.deliver()
        await bot.send(ANA, ANA_SECRET)  # unmatched, and "Ana answered" queued for Ben
        held = {table for table, _ in await holding(bot.db, ANA.id)}
        assert held >= {
            "users", "couple_members", "invites", "join_failures", "answers", "breaks",
            "round_participants", "round_messages", "outbox",
        }  # fmt: skip
        buttons = await delete_buttons(bot, ANA)
        await bot.run(bot.updates.button(ANA, buttons["Erase now"]))
        assert "is erased" in bot.sent(ANA.id)[-1].text

        assert await holding(bot.db, ANA.id) == []
        # Ben is told only that the pairing ended, now; nothing queued holds Ana's words.
        queued = await bot.queued(BEN.id)
        assert [q.text for q in queued] == [privacy.t("privacy.partner_notice")]
        assert queued[0].due_at <= bot.services.now()
        # His words stay his: his export shows his half, and that hers was removed.
        await bot.send(BEN, "/export")
        data = document(bot, BEN)
        [pairing] = data["pairings"]
        assert pairing["partner"] is None and pairing["ended_at"] is not None
        [shown] = data["revealed_to_me"]
        assert (shown["mine"], shown["partner"]) == ("his revealed words", None)
        assert ANA_WORDS not in json.dumps(data) and ANA_SECRET not in json.dumps(data)
        # And his /history of that pairing: his answer, and hers shown as erased.
        [shown] = await bot.send(BEN, "/history")
        assert (
            "his revealed words" in shown.plain
            and "erased at the writer's own request" in shown.plain
        )
        assert "Ana" not in shown.plain and ANA_WORDS not in shown.plain
        if not on_postgres():  # read while the database is open: its WAL is still there
            path = bot.db.path
            assert path is not None
            for file in (path, path.with_name(path.name + "-wal")):
                raw = file.read_bytes()
                assert ANA_WORDS.encode() not in raw and ANA_SECRET.encode() not in raw, file
        # Ana may come back as someone new.
        await bot.send(ANA, "/start")
        await bot.send(ANA, "/export")
        assert document(bot, ANA)["my_answers"] == []


async def test_a_reveal_still_queued_for_the_partner_is_withdrawn(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.send(ANA, "/checkin")
        await bot.deliver()
        await bot.send(BEN, "his words")
        await bot.send(ANA, ANA_WORDS)  # the reveal to both is queued, not yet sent
        assert any(ANA_WORDS in q.text for q in await bot.queued(BEN.id))
        buttons = await delete_buttons(bot, ANA)
        await bot.run(bot.updates.button(ANA, buttons["Erase now"]))
        assert not any(ANA_WORDS in q.text for q in await bot.queued())
        sent = await bot.deliver()
        assert not any(ANA_WORDS in c.text for c in sent)


async def test_the_partner_may_be_told_a_day_later(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        buttons = await delete_buttons(bot, ANA)
        await bot.run(bot.updates.button(ANA, buttons["Erase, tell them in 24 hours"]))
        assert "In 24 hours" in bot.sent(ANA.id)[-1].text
        [notice] = await bot.queued(BEN.id)
        assert notice.due_at == bot.services.now() + 24 * 3600
        assert await bot.deliver() == []  # not before its time


async def test_an_old_or_forged_confirmation_erases_nothing(tmp_path: Path) -> None:
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        buttons = await delete_buttons(bot, ANA)
        clock.advance(timedelta(hours=2))
        before = await bot.dump()
        now = bot.services.now()
        for data in (
            buttons["Erase now"],  # two hours old
            f"v1:erase:now:{now + 600}",  # from the future
            "v1:erase:now:",
            "v1:erase:all:1",
            "v1:erase:now:1:2",
        ):
            calls = await bot.run(bot.updates.button(ANA, data))
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
        assert await bot.dump() == before


async def test_a_confirmation_pressed_in_a_group_erases_nothing(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        buttons = await delete_buttons(bot, ANA)
        before = await bot.dump()
        calls = await bot.run(bot.updates.button(ANA, buttons["Erase now"], group=True))
        assert await bot.dump() == before
        assert all(c.chat_id != -100_555 or c.method == "answerCallbackQuery" for c in calls)


async def test_erasing_someone_unknown_says_so(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        stranger = User(43, "Stranger")
        buttons = await delete_buttons(bot, stranger)
        await bot.run(bot.updates.button(stranger, buttons["Erase now"]))
        assert "nothing about you" in bot.sent(stranger.id)[-1].text
