# Steady: a small image that runs `python -m bot` as an unprivileged user, data in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////data/steady.db

WORKDIR /app

# Dependencies first, exactly as locked (versions and hashes), in a layer of their own: a code
# change reuses it and reinstalls only Steady below.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# Steady itself; migrations, locales and prompts are package data inside bot/.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
RUN pip install --no-deps .

# One data folder whatever the database: with PostgreSQL, the heartbeat goes to data/ under
# the working directory, which is the volume too.
RUN useradd --system --uid 10001 --home-dir /app steady \
    && mkdir -p /data && chown steady /data && ln -s /data /app/data
USER 10001
VOLUME ["/data"]

# Unhealthy when the tick has not run for a few minutes (bot/health.py reads its heartbeat).
HEALTHCHECK --interval=60s --timeout=10s --start-period=2m --retries=3 \
    CMD ["python", "-m", "bot.health"]

# SIGTERM lets the delivery loop finish the message in flight before exit.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
