"""events tables

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("invite_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("after_event_posted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", name="uq_event_code"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_organizer_id", ["organizer_id"], unique=False)
        batch_op.create_index("ix_event_starts_at", ["starts_at"], unique=False)

    op.create_table(
        "event_facilitator_optout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "member_id", name="uq_facilitator_optout"),
    )
    op.create_table(
        "event_space",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("bound_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_message_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("nudged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("nudges", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["space.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("space_id", name="uq_event_space_space"),
    )
    with op.batch_alter_table("event_space", schema=None) as batch_op:
        batch_op.create_index("ix_event_space_event_id", ["event_id"], unique=False)

    op.create_table(
        "event_space_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_space_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("left_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_space_id"],
            ["event_space.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_space_id", "member_id", name="uq_event_space_member"),
    )


def downgrade() -> None:
    op.drop_table("event_space_member")
    with op.batch_alter_table("event_space", schema=None) as batch_op:
        batch_op.drop_index("ix_event_space_event_id")
    op.drop_table("event_space")
    op.drop_table("event_facilitator_optout")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_starts_at")
        batch_op.drop_index("ix_event_organizer_id")
    op.drop_table("event")
