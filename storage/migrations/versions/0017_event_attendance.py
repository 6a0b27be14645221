"""events from invitation to attendance: a secret bind code and a capacity per event, registrations with a waiting
list, check-ins at the venue, visitor counts per venue and month, new-event notices; one-time codes that link a
member's accounts on two platforms

Revision ID: 0017
Revises: 0016
"""

import secrets

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# As community.events.BIND_CODE_ALPHABET / BIND_CODE_LENGTH (a migration keeps its own copy).
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10


def _fill_bind_codes() -> None:
    """Every existing event gets a secret bind code of its own (its public code no longer binds)."""
    connection = op.get_bind()
    event = sa.table("event", sa.column("id", sa.Integer), sa.column("bind_code", sa.String))
    ids = [row.id for row in connection.execute(sa.select(event.c.id))]
    for event_id in ids:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        connection.execute(sa.update(event).where(event.c.id == event_id).values(bind_code=code))


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bind_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
    _fill_bind_codes()
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_event_bind_code", ["bind_code"])

    op.create_table(
        "event_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("registered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("promoted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reminded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "member_id", name="uq_event_registration"),
    )
    with op.batch_alter_table("event_registration", schema=None) as batch_op:
        batch_op.create_index("ix_event_registration_registered_at", ["registered_at"], unique=False)

    op.create_table(
        "event_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("how", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("device", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "member_id", name="uq_event_attendance"),
    )
    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.create_index("ix_event_attendance_at", ["at"], unique=False)

    op.create_table(
        "venue_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("entered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("venue", "month", name="uq_venue_count_month"),
    )

    op.create_table(
        "event_news_subscriber",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", name="uq_event_news_member"),
    )

    op.create_table(
        "member_link_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash", name="uq_member_link_code"),
    )
    with op.batch_alter_table("member_link_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_link_code_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("member_link_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_link_code_member_id"))
    op.drop_table("member_link_code")
    op.drop_table("event_news_subscriber")
    op.drop_table("venue_count")
    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_event_attendance_at")
    op.drop_table("event_attendance")
    with op.batch_alter_table("event_registration", schema=None) as batch_op:
        batch_op.drop_index("ix_event_registration_registered_at")
    op.drop_table("event_registration")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_event_bind_code", type_="unique")
        batch_op.drop_column("capacity")
        batch_op.drop_column("bind_code")
