"""The baseline: a bare Flask route, served the same way as Dugnad."""

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare():
    return "ok"
