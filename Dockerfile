# marketnews in one image: the review page, the scheduler and one-off jobs (docs/deployment.md).
#   docker build -t marketnews .
#   docker run --rm marketnews generate --snapshot /usr/local/share/marketnews/examples/btc-2018-02-06.json
# Two stages: wheels are built where pip may need a toolchain; the final image gets only the wheels, a non-root
# user and no compilers (python:3.11-slim ships none).

FROM python:3.11-slim AS build
WORKDIR /src
# Only what the package needs to build (no tests, no output, no .git): a small, cache-friendly context.
COPY pyproject.toml README.md ./
COPY generator ./generator
COPY templates ./templates
COPY prompts ./prompts
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[postgres,chart]'

FROM python:3.11-slim
# A fixed, unprivileged uid: Kubernetes' runAsNonRoot checks a number, and volume permissions can name it.
RUN useradd --system --uid 10001 --gid 0 --home-dir /srv/marketnews --create-home --shell /usr/sbin/nologin marketnews
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels 'marketnews[postgres,chart]' && rm -rf /wheels
COPY examples /usr/local/share/marketnews/examples
USER 10001
WORKDIR /srv/marketnews
# Everything a process writes goes under /srv/marketnews (a volume): articles, the SQLite desk if no
# PostgreSQL desk_db is set, the LLM cache. Settings come from MARKETNEWS_* variables or MARKETNEWS_CONFIG.
ENV MARKETNEWS_OUTPUT_DIR=/srv/marketnews/output \
    MARKETNEWS_LLM_CACHE_DIR=/srv/marketnews/llm-cache \
    XDG_CACHE_HOME=/srv/marketnews/.cache \
    PYTHONUNBUFFERED=1
EXPOSE 8000
ENTRYPOINT ["marketnews"]
# The review page on every interface of the container; put TLS in front of it (review_secure_cookie).
CMD ["review", "--host", "0.0.0.0", "--port", "8000"]
