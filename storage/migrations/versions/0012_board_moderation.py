"""board moderation: hidden threads, thread rate limit index, report reasons and the report queue

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("board_thread", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("hidden_by", sa.Integer(), nullable=True))
        batch_op.create_index("ix_board_thread_author_created", ["author_member_id", "created_at"], unique=False)
    with op.batch_alter_table("board_report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index("ix_board_report_member_created", ["member_id", "created_at"], unique=False)
        batch_op.create_index("ix_board_report_resolved_post", ["resolved_at", "post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("board_report", schema=None) as batch_op:
        batch_op.drop_index("ix_board_report_resolved_post")
        batch_op.drop_index("ix_board_report_member_created")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("reason")
    with op.batch_alter_table("board_thread", schema=None) as batch_op:
        batch_op.drop_index("ix_board_thread_author_created")
        batch_op.drop_column("hidden_by")
        batch_op.drop_column("hidden_at")
