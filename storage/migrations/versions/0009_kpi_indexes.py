"""indexes for the KPIs and the weekly digest (bench/kpi.py)

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Participants (distinct members who joined the community) and QR counts per touchpoint, from the index alone.
    op.create_index("ix_engagement_kind_space_at_member", "engagement", ["kind", "space", "at", "member"], unique=False)
    # Visible posts in a period, counted from the index alone.
    op.create_index("ix_board_post_created_hidden", "board_post", ["created_at", "hidden_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_board_post_created_hidden", table_name="board_post")
    op.drop_index("ix_engagement_kind_space_at_member", table_name="engagement")
