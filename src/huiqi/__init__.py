"""huiqi (惠企): China's SME-promotion regulations as working software."""

__version__ = "0.1.0"
