# The application image: the Telegram front-end (python -m bot), the action
# server (python -m rasa_sdk) and the staff page (python -m review), Python
# 3.12, from the lock file. Build from the repository root:
#   docker build -f deploy/Dockerfile.app -t wegwijzer-app .
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /app
ENV UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never PYTHONPATH=/app PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:$PATH"
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# The de-identifier builds its lookup cache at build time, not in the first message.
RUN python -c "from wegwijzer.privacy import warm_up; warm_up().join()"
USER nobody
