"""How much likelier a sentence at each distance from the last answer's holds a follow-up's
answer than any sentence of the story: the log of the ratio of the rates, per turn kind.

Written by `python -m tools.make_positions ../shared/data/coqa/coqa_train_cnn.json` from CoQA's
CNN tune part only: 1,635 type-only and 15,018 worded later answerable turns,
distances from the conversation's last answer; beyond 4 sentences either way they share one bin.
Each line: the log ratio, then the sentences at that distance holding the rationale of all seen.
"""

FAR = 4

LOG_RATIO: dict[str, dict[int, float]] = {
    "typed": {
        -5: -0.962,  # 61 of 4171
        -4: -0.573,  # 21 of 975
        -3: -1.102,  # 14 of 1109
        -2: -0.727,  # 23 of 1247
        -1: -0.513,  # 32 of 1398
        0: 1.997,  # 463 of 1635
        1: 0.244,  # 75 of 1532
        2: -0.238,  # 43 of 1424
        3: -0.864,  # 21 of 1307
        4: -0.527,  # 27 of 1197
        5: -1.237,  # 68 of 6125
    },
    "worded": {
        -5: -0.716,  # 874 of 38900
        -4: -0.592,  # 231 of 9090
        -3: -0.698,  # 235 of 10280
        -2: -0.504,  # 321 of 11556
        -1: -0.247,  # 466 of 12982
        0: 1.377,  # 2737 of 15018
        1: 0.831,  # 1484 of 14064
        2: 0.217,  # 748 of 13090
        3: -0.095,  # 509 of 12170
        4: -0.269,  # 392 of 11155
        5: -0.609,  # 1406 of 56227
    },
}
