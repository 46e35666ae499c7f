# Steady: a small image that runs `python -m bot` as an unprivileged user, data in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////data/steady.db

WORKDIR /app

# The dependencies exactly as locked (versions and hashes), then Steady itself.
COPY requirements.lock pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
# Migrations, locales and prompts are package data inside bot/: the installed package has them.
RUN pip install --require-hashes -r requirements.lock && pip install --no-deps .

RUN useradd --system --uid 10001 --home-dir /app steady \
    && mkdir -p /data && chown steady /data
USER 10001
VOLUME ["/data"]

# SIGTERM lets the delivery loop finish the message in flight before exit.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
