"""announcements to segments, opt-outs, and what each outbox row is for and costs (the LINE budget)

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("image_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("link_label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("link_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("segment", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("send_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("estimated", sa.Integer(), nullable=False),
        sa.Column("over_budget", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("billable", sa.Integer(), nullable=False),
        sa.Column("discord_post", sa.Boolean(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=True),
        sa.Column("clicked", sa.Integer(), nullable=True),
        sa.Column("stats_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.create_index("ix_announcement_status_send_at", ["status", "send_at"], unique=False)
    op.create_table(
        "announce_optout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "topic", name="uq_announce_optout_member_topic"),
    )
    with op.batch_alter_table("announce_optout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announce_optout_member_id"), ["member_id"], unique=False)
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("cost", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False, server_default="")
        )
        batch_op.create_index("ix_outbox_sent_at", ["sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_sent_at")
        batch_op.drop_column("unit")
        batch_op.drop_column("cost")
        batch_op.drop_column("kind")
    with op.batch_alter_table("announce_optout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announce_optout_member_id"))
    op.drop_table("announce_optout")
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_index("ix_announcement_status_send_at")
    op.drop_table("announcement")
