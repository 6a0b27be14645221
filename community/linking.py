"""One person, one member: /link on one platform gives a short one-time code; sent with /link on another platform, it
makes the two accounts one member (one nickname, one set of roles, counted once in every KPI, and /forget-me on
either erases both). /link also lists a member's accounts and takes one out again.

Linking moves everything of the member who sent the code onto the member who asked for it, table by table: every
column that refers to a member is followed (so a new feature's table is included without a change here), and where
both had a row that may exist once (a nickname, a role, a registration), the asking member's row stays. The engagement
log's pseudonym is rewritten, so counts of distinct people count them once. The member whose rows moved stays as an
empty row with its old pseudonym (the audit log still names it, and the log is never rewritten).
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, ColumnElement, Table, and_, delete, exists, select, true, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as model_select

import storage.all_models  # noqa: F401  every table, so each column that refers to a member is found
from community import audit, members
from community.problems import Problem
from storage.db import as_utc, id_of
from storage.models import Member, PlatformAccount
from storage.models.linking import LinkCode

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read on one screen, typed on another
CODE_LENGTH = 8
LIFETIME = timedelta(minutes=10)
LINK = "account.link"
UNLINK = "account.unlink"
# Rows that record what happened and are never rewritten: the audit log keeps naming the member who acted.
HISTORY = frozenset({"audit_entry", "member"})
# Columns that hold a member's pseudonym rather than their id: (table, column, an extra condition).
PSEUDONYMS = (("engagement", "member", None), ("referral_code", "owner_ref", ("kind", "member")))


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def normalise(text: str) -> str | None:
    code = "".join(unicodedata.normalize("NFKC", text or "").split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def new_code(session: Session, member: Member, platform: str, now: datetime) -> str:
    """A fresh code for the member (their earlier codes stop working); only its hash is kept."""
    session.execute(delete(LinkCode).where(col(LinkCode.member_id) == member.id))
    session.execute(delete(LinkCode).where(col(LinkCode.expires_at) < as_utc(now)))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(
        LinkCode(
            member_id=id_of(member),
            platform=platform,
            code_hash=_hash(code),
            created_at=as_utc(now),
            expires_at=as_utc(now + LIFETIME),
        )
    )
    session.flush()
    return code


def accounts(session: Session, member_id: int) -> list[PlatformAccount]:
    return list(
        session.exec(
            model_select(PlatformAccount)
            .where(PlatformAccount.member_id == member_id)
            .order_by(col(PlatformAccount.id))
        )
    )


def redeem(session: Session, text: str, member: Member, platform: str, now: datetime) -> Member:
    """Link the account that sent the code (on `platform`) to the member who asked for it; returns that member."""
    code = normalise(text)
    row = session.exec(model_select(LinkCode).where(LinkCode.code_hash == _hash(code))).first() if code else None
    if row is None or as_utc(row.expires_at) < as_utc(now):
        raise Problem("link.code_wrong")
    if row.platform == platform:
        raise Problem("link.same_platform")
    keep = session.get(Member, row.member_id)
    if keep is None or keep.id == member.id:
        raise Problem("link.already")
    theirs = {a.platform for a in accounts(session, id_of(keep))}
    mine = {a.platform for a in accounts(session, id_of(member))}
    if theirs & mine:
        raise Problem("link.platform_taken")
    session.delete(row)
    merge(session, keep, member, now)
    audit.record(session, keep, LINK, audit.member_target(session, id_of(keep)), ",".join(sorted(theirs | mine)), now)
    return keep


def unlink(session: Session, member: Member, platform: str, now: datetime) -> Member:
    """Take the member's account on `platform` out: it becomes a member of its own, with nothing of this one's."""
    mine = accounts(session, id_of(member))
    found = [a for a in mine if a.platform == platform]
    if not found:
        raise Problem("link.no_such_account")
    if len(mine) < 2:
        raise Problem("link.only_account")
    alone = Member(public_id=members.new_public_id(), created_at=as_utc(now))
    session.add(alone)
    session.flush()
    for account in found:
        account.member_id = id_of(alone)
        session.add(account)
    session.flush()
    audit.record(session, member, UNLINK, audit.member_target(session, id_of(member)), platform, now)
    return alone


# ---- moving one member's rows onto another -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    table: Table
    column: Column[int]


def _references() -> list[_Reference]:
    """Every column of every table that refers to member.id (except the history that is never rewritten)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in HISTORY:
            continue
        for column in table.columns:
            if any(key.column.table.name == "member" and key.column.name == "id" for key in column.foreign_keys):
                found.append(_Reference(table, column))
    return found


def _unique_sets(table: Table, column: Column[int]) -> list[list[Column[int]]]:
    """For each uniqueness the column is part of, the other columns in it."""
    sets = []
    for constraint in table.constraints:
        names = [c.name for c in getattr(constraint, "columns", ())]
        is_unique = constraint.__class__.__name__ in ("UniqueConstraint", "PrimaryKeyConstraint")
        if is_unique and column.name in names:
            sets.append([table.c[name] for name in names if name != column.name])
    sets += [
        [c for c in index.columns if c.name != column.name]
        for index in table.indexes
        if index.unique and column.name in {c.name for c in index.columns}
    ]
    return sets


def _move(session: Session, reference: _Reference, keep: int, drop: int) -> None:
    table, column = reference.table, reference.column
    for others in _unique_sets(table, column):
        twin = aliased(table)
        same: list[ColumnElement[bool]] = [twin.c[column.name] == keep]
        same += [twin.c[other.name] == other for other in others]
        # Where both members have the row that may exist once, the asking member's stays.
        session.execute(
            delete(table).where(column == drop, exists(select(true()).select_from(twin).where(and_(*same))))
        )
    session.execute(update(table).where(column == drop).values({column.name: keep}))


def _rename_pseudonym(session: Session, keep: str, drop: str) -> None:
    tables = SQLModel.metadata.tables
    for name, column_name, condition in PSEUDONYMS:
        table = tables.get(name)
        if table is None:
            continue
        column = table.c[column_name]
        where: list[ColumnElement[bool]] = [column == drop]
        if condition is not None:
            # One row per pseudonym here (a member's referral code): the asking member's stays.
            kind, value = condition
            where.append(table.c[kind] == value)
            twin = table.alias()
            clash = select(true()).select_from(twin).where(twin.c[column_name] == keep, twin.c[kind] == value)
            session.execute(delete(table).where(*where, exists(clash)))
        session.execute(update(table).where(*where).values({column_name: keep}))


def merge(session: Session, keep: Member, drop: Member, now: datetime) -> None:
    """Everything of `drop` becomes `keep`'s (see the module's docstring)."""
    session.flush()
    keep_id, drop_id = id_of(keep), id_of(drop)
    for reference in _references():
        _move(session, reference, keep_id, drop_id)
    _rename_pseudonym(session, keep.public_id, drop.public_id)
    session.expire_all()
    if not keep.display_name and drop.display_name:
        keep.display_name = drop.display_name
    drop.display_name = None
    drop.forgotten_at = as_utc(now)
    session.add(keep)
    session.add(drop)
    session.flush()
