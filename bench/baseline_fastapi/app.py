"""A minimal FastAPI + PyJWT + bcrypt app shaped like the seed tutorial's backend.

Stateless: `GET /users/me/` decodes the JWT and loads the user row, with no session row to
check, which is what our app does on top. Same hash (bcrypt through passlib) at the same cost.
Settings come from the environment: BASELINE_DB_URL, BASELINE_SECRET, BCRYPT_ROUNDS.
Run: granian --interface asgi bench.baseline_fastapi.app:app --port 8001 --workers 2
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from passlib.context import CryptContext
from pydantic import BaseModel
from sqlalchemy import Boolean, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

SECRET = os.environ.get("BASELINE_SECRET", "baseline-secret-not-for-production-use-0123456789")
ROUNDS = int(os.environ.get("BCRYPT_ROUNDS", "12"))
engine = create_engine(os.environ.get("BASELINE_DB_URL", "sqlite:///baseline.db"))
hasher = CryptContext(schemes=["bcrypt"], bcrypt__rounds=ROUNDS)
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
app = FastAPI(title="tutorial baseline")
UNAUTHORIZED = "Could not validate credentials"


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "baseline_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    hashed_password: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class UserOut(BaseModel):
    id: int
    username: str


class Token(BaseModel):
    access_token: str
    token_type: str


def create_user(username: str, password: str) -> None:
    """Make the table and one account (the benchmark's set-up, not a route)."""
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(User(username=username, hashed_password=hasher.hash(password)))
        session.commit()


def _user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


@app.post("/token")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """The tutorial's password flow: check the hash, sign a 30-minute JWT."""
    with Session(engine) as session:
        user = _user(session, form.username)
        if user is None or not hasher.verify(form.password, user.hashed_password):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Incorrect username or password")
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    token = jwt.encode({"sub": user.username, "exp": expires}, SECRET, algorithm="HS256")
    return Token(access_token=token, token_type="bearer")  # noqa: S106  (the scheme's name)


@app.get("/users/me/")
def me(token: Annotated[str, Depends(oauth2_scheme)]) -> UserOut:
    """Decode the JWT and load its user: no session row, no revocation."""
    try:
        username = jwt.decode(token, SECRET, algorithms=["HS256"])["sub"]
    except (jwt.PyJWTError, KeyError):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Could not validate credentials"
        ) from None
    with Session(engine) as session:
        user = _user(session, username)
        if user is None or user.disabled:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, UNAUTHORIZED)
        return UserOut(id=user.id, username=user.username)
