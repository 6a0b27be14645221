"""board links (the community board on Discord)

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "board_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("place_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("origin", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "kind", "board_id", name="uq_board_link_board"),
        sa.UniqueConstraint("platform", "kind", "platform_id", name="uq_board_link_platform"),
    )


def downgrade() -> None:
    op.drop_table("board_link")
