function New-VmmStrongPassword {
    <#
    .SYNOPSIS
        Generates a strong random password with the operating system's cryptographic random number generator,
        as a SecureString built character by character (the password never exists as a plain string).
    .DESCRIPTION
        Characters are drawn without modulo bias (rejection sampling) from upper- and lower-case letters,
        digits and symbols, leaving out look-alikes (0 O 1 l I); the result holds at least one of each class.
    .PARAMETER Length
        Number of characters (16 to 128).
    #>
    [CmdletBinding()]
    [OutputType([System.Security.SecureString])]
    param(
        [ValidateRange(16, 128)]
        [int] $Length = 24
    )

    $classes = @('ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%&*+-=?@^_~')
    $alphabet = -join $classes
    $limit = 256 - (256 % $alphabet.Length)
    $rng = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    $buffer = New-Object -TypeName byte[] -ArgumentList 64
    try {
        while ($true) {
            $secure = New-Object -TypeName System.Security.SecureString
            $seen = New-Object -TypeName bool[] -ArgumentList $classes.Count
            $count = 0
            while ($count -lt $Length) {
                $rng.GetBytes($buffer)
                foreach ($byte in $buffer) {
                    if ($count -ge $Length) { break }
                    if ($byte -ge $limit) { continue }
                    $character = $alphabet[$byte % $alphabet.Length]
                    for ($i = 0; $i -lt $classes.Count; $i++) {
                        if ($classes[$i].IndexOf($character) -ge 0) { $seen[$i] = $true }
                    }
                    $secure.AppendChar($character)
                    $count++
                }
            }
            if (@($seen | Where-Object { -not $_ }).Count -eq 0) {
                $secure.MakeReadOnly()
                return $secure
            }
            $secure.Dispose()
        }
    } finally {
        [System.Array]::Clear($buffer, 0, $buffer.Length)
        $rng.Dispose()
    }
}
