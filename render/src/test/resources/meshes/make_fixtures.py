#!/usr/bin/env python3
# Writes the small mesh fixtures of the render tests (run from this folder). All good files hold the
# same cube [0,2]x[0,1]x[0,1] (12 triangles, area 10) in a different format or variant.
import struct

V = [(x * 2.0, y * 1.0, z * 1.0) for z in (0, 1) for y in (0, 1) for x in (0, 1)]
# quads counter-clockwise seen from outside; corner i has x from bit 0, y from bit 1, z from bit 2
Q = [(0, 2, 3, 1), (4, 5, 7, 6), (0, 1, 5, 4), (2, 6, 7, 3), (0, 4, 6, 2), (1, 3, 7, 5)]
T = [t for q in Q for t in ((q[0], q[1], q[2]), (q[0], q[2], q[3]))]

def w(name, text):
    with open(name, 'w', newline='') as f:
        f.write(text)

def wb(name, data):
    with open(name, 'wb') as f:
        f.write(data)

verts = ''.join('%g %g %g\n' % v for v in V)
# OFF: quads (fan-triangulated), comments, a colour on one face, CRLF line ends on some lines
w('cube.off', '# a box\nOFF\n# counts next\n8 6 0\n' + verts +
  ''.join('4 %d %d %d %d%s\n' % (q + ((' 255 0 0',) if i == 2 else ('',))) for i, q in enumerate(Q)).replace('\n', '\r\n', 2))
w('cube_header_inline.off', 'OFF 8 6 0\n' + verts + ''.join('4 %d %d %d %d\n' % q for q in Q))
w('cube_glued.off', 'OFF8 6 0\n' + verts + ''.join('4 %d %d %d %d\n' % q for q in Q))
w('cube_color.off', 'COFF\n8 12 0\n' + ''.join('%g %g %g 200 200 200 255\n' % v for v in V) + ''.join('3 %d %d %d\n' % t for t in T))
# two degenerate faces (repeated corner, and a sliver of zero area) and a 2-corner face
w('degenerate.off', 'OFF\n9 15 0\n' + verts + '1 0 0\n' + ''.join('3 %d %d %d\n' % t for t in T)
  + '3 0 0 1\n3 0 1 8\n2 0 1\n')
w('bad_index.off', 'OFF\n8 6 0\n' + verts + ''.join('4 %d %d %d %d\n' % q for q in Q[:4]) + '4 0 4 6 9\n' + '4 1 3 7 5\n')
w('nan.off', 'OFF\n8 6 0\n' + verts.replace('2 1 1', 'nan 1 1') + ''.join('4 %d %d %d %d\n' % q for q in Q))
w('huge_counts.off', 'OFF\n2000000000 6 0\n' + verts + ''.join('4 %d %d %d %d\n' % q for q in Q))
w('truncated.off', 'OFF\n8 6 0\n' + verts + ''.join('4 %d %d %d %d\n' % q for q in Q[:3]))
w('zero_faces.off', 'OFF\n8 0 0\n' + verts)
w('short_face.off', 'OFF\n8 6 0\n' + verts + ''.join('4 %d %d %d %d\n' % q for q in Q[:5]) + '4 1 3 7\n')

# OBJ: v/vt/vn corner forms, negative indices, materials and groups to ignore
obj = 'mtllib box.mtl\no box\n' + ''.join('v %g %g %g\n' % v for v in V) + 'vt 0 0\nvt 1 0\nvt 1 1\nvn 0 0 1\nusemtl grey\ns off\n'
forms = ['%d', '%d/1', '%d//1', '%d/2/1']
for i, q in enumerate(Q):
    if i == 5:
        obj += 'f ' + ' '.join(str(c - 8) for c in q) + '\n'  # negative: relative to the 8 vertices so far
    else:
        obj += 'f ' + ' '.join(forms[(i + k) % 4] % (c + 1) for k, c in enumerate(q)) + '\n'
w('cube.obj', obj)
w('bad_index.obj', ''.join('v %g %g %g\n' % v for v in V) + 'f 1 2 3\nf 1 2 12\n')
w('bad_number.obj', 'v 0 0 0\nv 1 0 0\nv 0 1.5.2 0\nf 1 2 3\n')

# STL ASCII and binary (binary header starting with "solid" on purpose)
def normal(t):
    a, b, c = (V[i] for i in t)
    u = [b[k] - a[k] for k in range(3)]; v = [c[k] - a[k] for k in range(3)]
    return (u[1]*v[2]-u[2]*v[1], u[2]*v[0]-u[0]*v[2], u[0]*v[1]-u[1]*v[0])
stl = 'solid box\n'
for t in T:
    stl += '  facet normal %g %g %g\n    outer loop\n' % normal(t)
    stl += ''.join('      vertex %g %g %g\n' % V[i] for i in t)
    stl += '    endloop\n  endfacet\n'
stl += 'endsolid box\n'
w('cube_ascii.stl', stl)
w('truncated_ascii.stl', stl[:stl.index('endloop', 400)])
hdr = b'solid but actually binary'.ljust(80, b' ')
body = b''.join(struct.pack('<3f', *normal(t)) + b''.join(struct.pack('<3f', *V[i]) for i in t) + b'\0\0' for t in T)
wb('cube_binary.stl', hdr + struct.pack('<I', len(T)) + body)
wb('truncated_binary.stl', b'binary'.ljust(80, b' ') + struct.pack('<I', len(T)) + body[:50 * 7 + 20])

# PLY: extra vertex properties (normals, colour), an extra list property on faces, an extra element
def ply_header(fmt, nf=6, nv=8):
    return ('ply\nformat %s 1.0\ncomment made by make_fixtures.py\nelement vertex %d\n'
            'property float x\nproperty float y\nproperty double z\nproperty float nx\nproperty uchar red\n'
            'element face %d\nproperty uchar flags\nproperty list uchar int vertex_indices\nproperty list uchar float texcoord\n'
            'element edge 1\nproperty int vertex1\nproperty int vertex2\nend_header\n') % (fmt, nv, nf)
w('cube_ascii.ply', ply_header('ascii') + ''.join('%g %g %g 0.5 7\n' % v for v in V)
  + ''.join('1 4 %d %d %d %d 2 0.5 0.25\n' % q for q in Q) + '0 1\n')
for fmt, e in (('binary_little_endian', '<'), ('binary_big_endian', '>')):
    data = ply_header(fmt).encode()
    data += b''.join(struct.pack(e + 'ffdfB', v[0], v[1], v[2], 0.5, 7) for v in V)
    data += b''.join(struct.pack(e + 'BB4iB2f', 1, 4, *q, 2, 0.5, 0.25) for q in Q)
    data += struct.pack(e + '2i', 0, 1)
    name = 'cube_le.ply' if e == '<' else 'cube_be.ply'
    wb(name, data)
    if e == '>':
        wb('truncated_be.ply', data[:len(data) - 60])
wb('huge_counts.ply', ply_header('binary_little_endian', nf=500000000).encode() + b'\0' * 200)
w('bad_index.ply', ply_header('ascii') + ''.join('%g %g %g 0.5 7\n' % v for v in V)
  + ''.join('1 4 %d %d %d %d 2 0.5 0.25\n' % q for q in Q[:5]) + '1 4 1 3 7 8 0\n0 1\n')
