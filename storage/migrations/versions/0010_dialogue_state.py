"""one dialogue state per member for every feature (replaces community_state)

Revision ID: 0010
Revises: 0009
"""

import json

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dialogue_state",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("dialogue", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("data", sa.Text(), nullable=True),
        sa.Column("choices", sa.Text(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("member_id"),
    )
    # A member half-way through joining the community keeps their place.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT member_id, step, data, updated_at FROM community_state")).all()
    if rows:
        connection.execute(
            sa.text(
                "INSERT INTO dialogue_state (member_id, dialogue, step, data, choices, updated_at) "
                "VALUES (:member_id, 'community', :step, :data, NULL, :updated_at)"
            ),
            [
                {
                    "member_id": r.member_id,
                    "step": r.step,
                    "data": json.dumps(r.data or "", ensure_ascii=False),
                    "updated_at": r.updated_at,
                }
                for r in rows
            ],
        )
    op.drop_table("community_state")


def downgrade() -> None:
    op.create_table(
        "community_state",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("data", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("member_id"),
    )
    op.drop_table("dialogue_state")
