# Kawan: the same install path as the README, on a slim Python, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/kawan.sqlite3

RUN useradd --create-home --uid 10001 kawan \
 && mkdir -p /data /app \
 && chown kawan:kawan /data /app

WORKDIR /app
COPY --chown=kawan:kawan pyproject.toml README.md ./
COPY --chown=kawan:kawan bot ./bot
COPY --chown=kawan:kawan content ./content
COPY --chown=kawan:kawan locales ./locales

# An editable install keeps content/ and locales/ beside the code, where the bot reads them.
RUN pip install -e . \
 && python -m bot check-content

USER kawan
VOLUME ["/data"]
EXPOSE 8443
CMD ["python", "-m", "bot", "run"]
