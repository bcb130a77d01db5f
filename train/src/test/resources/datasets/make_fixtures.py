#!/usr/bin/env python3
# Writes the small dataset fixtures of the train tests (SHREC'13/'14 layouts, generic folders, .cla files), good and broken.
# Run from this folder; the output is committed, tests never run this script.
import os, shutil, struct, zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def png(path, seed, size=8):
    """A tiny 8-bit grey PNG: a diagonal stroke whose position depends on seed."""
    rows = b''
    for y in range(size):
        row = bytes(0 if (x + y + seed) % size == 0 else 255 for x in range(size))
        rows += b'\x00' + row
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 0, 0, 0, 0)) \
        + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
    write(path, data)


def write(path, data):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def off(path, k):
    """A tetrahedron, stretched by k so that the meshes differ."""
    write(path, "OFF\n4 4 0\n0 0 0\n%d 0 0\n0 1 0\n0 0 1\n3 0 2 1\n3 0 1 3\n3 0 3 2\n3 1 2 3\n" % (1 + k))


def cla(path, classes):
    """classes: list of (name, parent, [ids])."""
    total = sum(len(ids) for _, _, ids in classes)
    s = "PSB 1\n%d %d\n\n" % (len(classes), total)
    for name, parent, ids in classes:
        s += "%s %s %d\n" % (name, parent, len(ids)) + "".join(i + "\n" for i in ids) + "\n"
    write(path, s)


for d in ['shrec13', 'shrec13_broken', 'shrec14', 'shrec14_badcla', 'imagefolder', 'imagefolder_split', 'viewfolder', 'viewfolder_broken', 'cla']:
    shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)

# ---- SHREC'13: flat models folder m<id>.off, training/testing sketch folders per class, views in the render layout.
MODELS13 = [('airplane', '0', ['1', '5']), ('chair', '0', ['2', '3']), ('tree', '0', ['4'])]
TRAIN13 = [('airplane', '0', ['101', '102']), ('chair', '0', ['103', '104']), ('tree', '0', ['105', '106'])]
TEST13 = [('airplane', '0', ['201']), ('chair', '0', ['202']), ('tree', '0', ['203'])]
for root, broken in [('shrec13', False), ('shrec13_broken', True)]:
    models = [list(c) for c in MODELS13]
    train = [list(c) for c in TRAIN13]
    if broken:
        models[2] = ('tree', '0', ['4', '9'])           # m9.off does not exist
        train.append(('dog', '0', ['107']))              # a sketch class without models
        train[0] = ('airplane', '0', ['101', '102', '108'])  # 108.png is missing
    cla(root + '/SHREC13_SBR_Model.cla', models)
    cla(root + '/SHREC13_SBR_Sketch_Train.cla', train)
    cla(root + '/SHREC13_SBR_Sketch_Test.cla', TEST13)
    for cls, _, ids in MODELS13:
        for i in ids:
            off(root + '/SHREC13_SBR_TARGET_MODELS/models/m%s.off' % i, int(i))
            if not (broken and i == '5'):                # broken: m5 has no views
                for v in range(2):
                    png(root + '/views/m%s/view_%02d.png' % (i, v), int(i) + v)
    for cls, _, ids in train:
        for i in ids:
            if i != '108':
                png(root + '/SHREC13_SBR_TRAINING_SKETCHES/%s/%s.png' % (cls, i), int(i))
    for cls, _, ids in TEST13:
        for i in ids:
            png(root + '/SHREC13_SBR_TESTING_SKETCHES/%s/%s.png' % (cls, i), int(i))
    if broken:
        write(root + '/SHREC13_SBR_TESTING_SKETCHES/chair/202.png', 'this is not a png\n')   # unreadable
        data = open(os.path.join(HERE, root, 'views/m1/view_01.png'), 'rb').read()
        write(root + '/views/m1/view_01.png', data[:40])                                    # truncated

# ---- SHREC'14: M<id>.off in nested folders, class/train|test sketch folders, class files in the evaluation kit, no views.
MODELS14 = [('bicycle', '0', ['1', '2']), ('house', '0', ['3']), ('guitar', '0', ['4', '5', '6'])]
TRAIN14 = [('bicycle', '0', ['1', '2']), ('house', '0', ['3', '4']), ('guitar', '0', ['5', '6'])]
TEST14 = [('bicycle', '0', ['7']), ('house', '0', ['8']), ('guitar', '0', ['9'])]
cla('shrec14/SHREC14_SBR_Evaluation/SHREC14_SBR_Model.cla', MODELS14)
cla('shrec14/SHREC14_SBR_Evaluation/SHREC14_SBR_Sketch_Train.cla', TRAIN14)
cla('shrec14/SHREC14_SBR_Evaluation/SHREC14_SBR_Sketch_Test.cla', TEST14)
for cls, _, ids in MODELS14:
    for i in ids:
        sub = 'part%d/' % (int(i) % 2)
        off('shrec14/SHREC14LSSTB_TARGET_MODELS/' + sub + 'M%s.off' % i, int(i))
# Sketch ids restart per class in SHREC'14 style folders; the same stem in two classes is resolved by the class folder.
for split, classes in [('train', TRAIN14), ('test', TEST14)]:
    for cls, _, ids in classes:
        for i in ids:
            png('shrec14/SHREC14LSSTB_SKETCHES/SHREC14LSSTB_SKETCHES/%s/%s/%s.png' % (cls, split, i), int(i))
png('shrec14/SHREC14LSSTB_SKETCHES/SHREC14LSSTB_SKETCHES/house/train/1.png', 99)  # same stem as bicycle's sketch 1

# ---- SHREC'14 with a model class file whose counts do not add up.
write('shrec14_badcla/SHREC14_SBR_Model.cla', "PSB 1\n2 4\n\nbicycle 0 2\n1\n2\n\nhouse 0 1\n3\n")
cla('shrec14_badcla/SHREC14_SBR_Sketch_Train.cla', [('bicycle', '0', ['1']), ('house', '0', ['3'])])
write('shrec14_badcla/SHREC14_SBR_Sketch_Test.cla', "PSB 1\n1 1\n\nbicycle 0 x\n7\n")
off('shrec14_badcla/models/M1.off', 1)
png('shrec14_badcla/sketches/bicycle/train/1.png', 1)
png('shrec14_badcla/sketches/house/train/3.png', 3)

# ---- Generic layouts of the reference code.
for cls, n in [('cat', 2), ('dog', 3)]:
    for i in range(n):
        png('imagefolder/%s/%s_%d.png' % (cls, cls, i), i)
for split, n in [('train', 2), ('test', 1)]:
    for cls in ['cat', 'dog']:
        for i in range(n):
            png('imagefolder_split/%s/%s/%s_%d.png' % (split, cls, cls, i), i)
for cls, items in [('cup', 2), ('lamp', 1)]:
    for it in range(items):
        for v in range(3):
            png('viewfolder/%s/%s_%d/%d.png' % (cls, cls, it, v), it + v)
for v in range(3):
    png('viewfolder_broken/cup/cup_0/%d.png' % v, v)
png('viewfolder_broken/cup/cup_1/0.png', 0)                  # one view instead of three
os.makedirs(os.path.join(HERE, 'viewfolder_broken/lamp/lamp_0'), exist_ok=True)   # no images
write('viewfolder_broken/lamp/lamp_0/README.txt', 'an item folder without views\n')

# ---- .cla files, good and broken (tests name the line of each error).
write('cla/good.cla', "PSB 1\n4 5\n\nfurniture 0 0\n\nchair furniture 3\nm1\n2\n3\n\n  table   furniture 2\n4\n5\n\nempty 0 0\n")
write('cla/bad_header.cla', "PSB 2\n1 1\n\nchair 0 1\n1\n")
write('cla/bad_counts_line.cla', "PSB 1\n1\n\nchair 0 1\n1\n")
write('cla/bad_total.cla', "PSB 1\n2 4\n\nchair 0 2\n1\n2\n\ntable 0 1\n3\n")
write('cla/missing_member.cla', "PSB 1\n2 4\n\nchair 0 3\n1\n2\ntable 0 1\n3\n")
write('cla/extra_member.cla', "PSB 1\n2 3\n\nchair 0 1\n1\n2\ntable 0 1\n3\n")
write('cla/too_few_classes.cla', "PSB 1\n3 2\n\nchair 0 1\n1\n\ntable 0 1\n3\n")
write('cla/too_many_classes.cla', "PSB 1\n1 1\n\nchair 0 1\n1\n\ntable 0 0\n")
write('cla/bad_member_count.cla', "PSB 1\n1 1\n\nchair 0 one\n1\n")
write('cla/unknown_parent.cla', "PSB 1\n1 1\n\nchair seating 1\n1\n")
write('cla/duplicate_id.cla', "PSB 1\n2 2\n\nchair 0 1\n7\n\ntable 0 1\n7\n")
write('cla/duplicate_class.cla', "PSB 1\n2 2\n\nchair 0 1\n7\n\nchair 0 1\n8\n")
write('cla/truncated.cla', "PSB 1\n1 3\n\nchair 0 3\n1\n2\n")
write('cla/empty.cla', "")
