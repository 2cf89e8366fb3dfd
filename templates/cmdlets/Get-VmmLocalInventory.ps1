function Get-VmmLocalInventory {
    $procedures = @{}
    foreach ($procedure in (Get-VmmProcedureData).Procedures) { $procedures[$procedure.Id] = $procedure }
    # The checklist text of a procedure, numbered, without the step that says to run this cmdlet.
    $instructionOf = {
        param([string] $Id)
        $numbered = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($step in @($procedures[$Id].Instructions)) {
            if ($step -match 'Get-VmmLocalInventory') { continue }
            $numbered.Add(('{0}. {1}' -f ($numbered.Count + 1), $step))
        }
        $numbered.ToArray() -join ' '
    }

    if ($Kind -contains 'Credential') {
        $lines = $null
        try {
            $lines = @(Get-VmmStoredCredentialList -ErrorAction Stop)
        } catch {
            Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "No credential is listed: $($_.Exception.Message)" -ErrorId CredentialListUnavailable -Category ResourceUnavailable -Target 'cmdkey.exe'
        }
        if ($null -ne $lines) {
            $parsed = ConvertFrom-VmmCmdkeyList -Line $lines
            if (-not $parsed.Recognized -and $parsed.Items.Count -gt 0) {
                Write-Warning "cmdkey.exe wrote its list in a language this cmdlet does not read (it reads English). The $($parsed.Items.Count) lines are returned as is with Parsed = False; check them in Credential Manager."
            }
            if ($parsed.Dropped -gt 0) {
                Write-Verbose "$($parsed.Dropped) line(s) of the cmdkey.exe output were not understood and are left out."
            }
            $instruction = & $instructionOf 'backup.credentials'
            foreach ($item in $parsed.Items) {
                [pscustomobject][ordered]@{
                    PSTypeName  = 'VmmBackup.LocalInventoryItem'
                    Kind        = 'Credential'
                    Name        = [string]$item.Target
                    Type        = $item.Type
                    Detail      = $item.User
                    Instruction = $instruction
                    Parsed      = [bool]$item.Parsed
                }
            }
        }
    }

    if ($Kind -contains 'ConsoleAddIn') {
        $folders = $null
        try {
            $folders = @(Get-VmmConsoleAddInFolder -ErrorAction Stop)
        } catch {
            Write-Warning "No VMM console add-in is listed: $($_.Exception.Message)"
        }
        if ($null -ne $folders) {
            $instruction = & $instructionOf 'backup.ui-addins'
            foreach ($folder in $folders) {
                [pscustomobject][ordered]@{
                    PSTypeName  = 'VmmBackup.LocalInventoryItem'
                    Kind        = 'ConsoleAddIn'
                    Name        = [string]$folder.Name
                    Type        = $null
                    Detail      = [string]$folder.FullName
                    Instruction = $instruction
                    Parsed      = $true
                }
            }
        }
    }
}
